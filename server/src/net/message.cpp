#include "net/message.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace stronghold::server {

namespace fs = std::filesystem;

std::shared_ptr<TempFile> TempFile::create(const std::string& dir, std::string_view prefix)
{
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec)
            return nullptr;
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    // mkstemp: a fresh random name, created exclusively (O_EXCL) with mode 0600.
    std::string path = (fs::path(dir) / (std::string(prefix) + "XXXXXX")).string();
    const int fd = ::mkstemp(path.data());
    if (fd < 0)
        return nullptr;
    ::close(fd);
    return std::shared_ptr<TempFile>(new TempFile(std::move(path)));
}

TempFile::~TempFile()
{
    std::error_code ec;
    fs::remove(m_path, ec);
}

std::uint64_t TempFile::size() const
{
    std::error_code ec;
    auto n = fs::file_size(m_path, ec);
    return ec ? 0 : n;
}

std::string temp_dir_of(const std::string& data_dir)
{
    return (fs::path(data_dir) / "tmp").string();
}

void remove_stale_temp_files(const std::string& data_dir)
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(temp_dir_of(data_dir), ec))
        if (entry.is_regular_file(ec))
            fs::remove(entry.path(), ec);
}

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

std::string_view trim_ows(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::optional<std::string> Request::header(std::string_view name) const
{
    for (const auto& [k, v] : headers)
        if (iequals(k, name))
            return v;
    return std::nullopt;
}

std::string_view Request::path() const
{
    std::string_view t = target;
    return t.substr(0, t.find('?'));
}

std::string_view Request::query() const
{
    std::string_view t = target;
    auto q = t.find('?');
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

void Response::set_header(std::string name, std::string value)
{
    for (auto& [k, v] : headers)
        if (iequals(k, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Response::header(std::string_view name) const
{
    for (const auto& [k, v] : headers)
        if (iequals(k, name))
            return v;
    return std::nullopt;
}

} // namespace stronghold::server
