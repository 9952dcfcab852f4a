#pragma once
// Umbrella header: the whole public C++ API of wifund.
#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/core/types.hpp"
#include "wifund/life/life_table.hpp"
