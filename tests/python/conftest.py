"""Shared fixtures: the demo province and a cached default projection of it."""

import pytest

import wifund


@pytest.fixture(scope="session")
def demo():
    return wifund.Province.demo()


@pytest.fixture(scope="session")
def demo_projection(demo):
    return wifund.project(demo)
