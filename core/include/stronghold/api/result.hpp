// Result<T>: a value or an api::Error. Expected failures are values, not exceptions,
// so the same code runs in the browser build (which cannot catch).
#pragma once

#include "stronghold/api/error.hpp"

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace stronghold {

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}          // NOLINT: implicit by design
    Result(api::Error error) : m_v(std::in_place_index<1>, std::move(error)) {} // NOLINT: implicit by design

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_v); }
    const T& value() const& { assert(ok()); return std::get<0>(m_v); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const api::Error& error() const { assert(!ok()); return std::get<1>(m_v); }

private:
    std::variant<T, api::Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(api::Error error) : m_error(std::move(error)), m_ok(false) {} // NOLINT: implicit by design

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const api::Error& error() const { assert(!m_ok); return m_error; }

private:
    api::Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

} // namespace stronghold
