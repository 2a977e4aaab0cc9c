// Separate compilation: Beast's and Asio's function bodies are compiled once, here, instead of
// in every file that includes them (BOOST_*_SEPARATE_COMPILATION, set in server/CMakeLists.txt).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
