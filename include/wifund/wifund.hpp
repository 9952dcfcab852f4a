#pragma once
// Umbrella header: the whole public C++ API of wifund.
#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/core/types.hpp"
#include "wifund/forecast/backtest.hpp"
#include "wifund/forecast/ets.hpp"
#include "wifund/forecast/ets_fit.hpp"
#include "wifund/forecast/interval.hpp"
#include "wifund/forecast/trend.hpp"
#include "wifund/life/life_table.hpp"
