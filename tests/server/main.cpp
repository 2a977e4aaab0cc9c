// The module of server_tests; Boost.Test itself comes from its shared library (CMakeLists.txt).
#define BOOST_TEST_MODULE server_tests
#include <boost/test/unit_test.hpp>

#include "stronghold/crypto/crypto.hpp"

#include <stdexcept>

// libsodium must be initialised once before any crypto call, as in the server binary.
struct SodiumInit {
    SodiumInit()
    {
        if (!stronghold::crypto::init())
            throw std::runtime_error("sodium_init failed");
    }
};
BOOST_TEST_GLOBAL_FIXTURE(SodiumInit);
