// The one TU that compiles Boost.Test itself (header-only variant: works for g++ and em++).
#define BOOST_TEST_MODULE stronghold_core
#include <boost/test/included/unit_test.hpp>

#include "stronghold/crypto/crypto.hpp"

#include <stdexcept>

// libsodium must be initialised once before any crypto call, as in the server and the browser.
struct SodiumInit {
    SodiumInit()
    {
        if (!stronghold::crypto::init())
            throw std::runtime_error("sodium_init failed");
    }
};
BOOST_TEST_GLOBAL_FIXTURE(SodiumInit);
