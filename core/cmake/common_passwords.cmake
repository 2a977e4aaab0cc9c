# Generates the common-password table for core (IAM-2) from a word list installed by a Debian
# package (john-data: /usr/share/john/password.lst, most common first). The list is read at
# build time and never committed. Run as a script:
#   cmake -DINPUT=<list> -DOUTPUT=<file.cpp> -DMAX_ENTRIES=<n> -DMIN_ENTRIES=<n> -P common_passwords.cmake
# Output: a sorted, de-duplicated array of the first MAX_ENTRIES entries, lower-cased (ASCII),
# for a case-insensitive binary search.
#
# Why hex: entries contain ';' (a CMake list separator) and could contain '[', '\' or '"'. Working
# on "hh " byte tokens keeps every byte intact, and sorting the token strings gives exactly the
# byte order that std::string_view comparison uses (tokens have a fixed width, and ' ' sorts
# below every hex digit, so a prefix still sorts first). Every byte is then emitted as a \x
# escape, which also keeps the generated source pure ASCII.
cmake_minimum_required(VERSION 3.25)

foreach(var INPUT OUTPUT MAX_ENTRIES MIN_ENTRIES)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "common_passwords.cmake: ${var} is not set")
    endif()
endforeach()
if(NOT EXISTS "${INPUT}")
    message(FATAL_ERROR "common-password list ${INPUT} not found: install the Debian package john-data "
                        "(scripts/bootstrap does) or set STRONGHOLD_COMMON_PASSWORDS")
endif()

file(READ "${INPUT}" hex HEX)
# "70617373" -> "70 61 73 73 " (one token per byte).
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\1 " hex "${hex}")
# Drop CR (CRLF lists), lower-case ASCII A-Z (0x41..0x5a -> 0x61..0x7a), then one list item per line.
string(REPLACE "0d " "" hex "${hex}")
set(upper 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50 51 52 53 54 55 56 57 58 59 5a)
set(lower 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 78 79 7a)
foreach(u l IN ZIP_LISTS upper lower)
    string(REPLACE "${u} " "${l} " hex "${hex}")
endforeach()
# A token is always "hh ", so "0a " only ever matches a whole newline byte.
string(REPLACE "0a " ";" lines "${hex}")

set(entries "")
set(taken 0)
foreach(line IN LISTS lines)
    if(line STREQUAL "" OR line MATCHES "^23 21 63 6f 6d 6d 65 6e 74 ") # "#!comment" lines
        continue()
    endif()
    if(taken EQUAL MAX_ENTRIES)
        break()
    endif()
    list(APPEND entries "${line}")
    math(EXPR taken "${taken} + 1")
endforeach()
list(REMOVE_DUPLICATES entries) # "Password" and "password" are one entry once lower-cased
list(SORT entries COMPARE STRING)
list(LENGTH entries count)
if(count LESS MIN_ENTRIES)
    message(FATAL_ERROR "common-password list ${INPUT} gave ${count} entries, need at least ${MIN_ENTRIES}")
endif()

set(body "")
foreach(entry IN LISTS entries)
    string(REGEX REPLACE "([0-9a-f][0-9a-f]) " "\\\\x\\1" literal "${entry}")
    string(APPEND body "    \"${literal}\",\n")
endforeach()

get_filename_component(input_name "${INPUT}" NAME)
set(content "// Generated at build time by core/cmake/common_passwords.cmake from ${input_name}: do not edit.
// ${count} entries, lower-cased, sorted by bytes.
#include \"validate/password_common.hpp\"

namespace stronghold::validate::detail {

const std::string_view k_common_passwords[] = {
${body}};
const std::size_t k_common_password_count = sizeof(k_common_passwords) / sizeof(k_common_passwords[0]);

} // namespace stronghold::validate::detail
")
# Runs only when the list or this script changes (add_custom_command DEPENDS), so always write.
file(WRITE "${OUTPUT}" "${content}")
