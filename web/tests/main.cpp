// Boost.Test runner for the dashboard's pure logic, compiled to WASM and run under Node.
#define BOOST_TEST_MODULE stronghold_web
#include <boost/test/included/unit_test.hpp>
