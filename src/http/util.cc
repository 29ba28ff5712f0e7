// SPDX-License-Identifier: Apache-2.0
#include <time.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "hoshi/core/error_code.h"
#include "hoshi/core/json.h"
#include "hoshi/core/text.h"
#include "hoshi/http/client.h"
#include "hoshi/http/server.h"

#include "internal.h"

namespace hoshi::http {
namespace detail {
namespace {

char ToLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool IsControl(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

Error BadTarget() {
  return MakeError(ErrorCode::kInvalidArgument, HttpMessages(), "http.bad_target");
}

}  // namespace

bool PercentDecode(std::string_view in, bool plus_as_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) {
        return false;
      }
      const int hi = HexDigitValue(in[i + 1]);
      const int lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return false;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) {
      return false;
    }
  }
  return true;
}

std::string EscapeForLog(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (IsControl(u) || u >= 0x80 || c == '"' || c == '\\') {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string HttpDate(std::chrono::system_clock::time_point t) {
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t seconds = std::chrono::system_clock::to_time_t(t);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT",
                     kDays.at(static_cast<std::size_t>(tm.tm_wday)), tm.tm_mday,
                     kMonths.at(static_cast<std::size_t>(tm.tm_mon)), tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

spdlog::logger& Logger() {
  // Not registered globally (a second registration by name would throw); lives until exit.
  static const std::shared_ptr<spdlog::logger> kLogger =
      std::make_shared<spdlog::logger>("http", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  return *kLogger;
}

}  // namespace detail

Result<ParsedTarget> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return detail::BadTarget();
  }
  const std::size_t fragment = target.find('#');
  if (fragment != std::string_view::npos) {
    target = target.substr(0, fragment);
  }
  const std::size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  ParsedTarget parsed;
  if (!detail::PercentDecode(raw_path, /*plus_as_space=*/false, parsed.path)) {
    return detail::BadTarget();
  }
  for (const char c : parsed.path) {
    if (detail::IsControl(static_cast<unsigned char>(c))) {
      return detail::BadTarget();
    }
  }
  // Dot segments: the platform has no use for them, and refusing them here removes a class of
  // path-traversal mistakes in handlers.
  std::size_t start = 1;
  while (start <= parsed.path.size()) {
    std::size_t end = parsed.path.find('/', start);
    if (end == std::string::npos) {
      end = parsed.path.size();
    }
    const std::string_view segment = std::string_view(parsed.path).substr(start, end - start);
    if (segment == "." || segment == "..") {
      return detail::BadTarget();
    }
    start = end + 1;
  }
  if (question == std::string_view::npos) {
    return parsed;
  }
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view piece = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (piece.empty()) {
      continue;
    }
    const std::size_t eq = piece.find('=');
    std::string key;
    std::string value;
    if (!detail::PercentDecode(piece.substr(0, eq), true, key)) {
      return detail::BadTarget();
    }
    if (eq != std::string_view::npos && !detail::PercentDecode(piece.substr(eq + 1), true, value)) {
      return detail::BadTarget();
    }
    if (key.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return detail::BadTarget();
    }
    parsed.query.emplace_back(std::move(key), std::move(value));
  }
  return parsed;
}

namespace {

std::string_view FindHeader(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& header : headers) {
    if (detail::IEquals(header.name, name)) {
      return header.value;
    }
  }
  return {};
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool HasLangPrefix(std::string_view tag, std::string_view lang) {
  return tag.size() >= lang.size() && detail::IEquals(tag.substr(0, lang.size()), lang) &&
         (tag.size() == lang.size() || tag[lang.size()] == '-' || tag[lang.size()] == '_');
}

// Parses the q parameter of one Accept-Language element; 1.0 when absent, -1 when malformed.
double ParseQuality(std::string_view params) {
  double q = 1.0;
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    const std::string_view param = TrimOws(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const std::string_view value = param.substr(2);
      // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
      if (value.empty() || (value[0] != '0' && value[0] != '1')) {
        return -1;
      }
      double result = value[0] - '0';
      double scale = 0.1;
      for (std::size_t i = 1; i < value.size(); ++i) {
        if (i == 1) {
          if (value[i] != '.') {
            return -1;
          }
          continue;
        }
        if (value[i] < '0' || value[i] > '9' || i > 4) {
          return -1;
        }
        result += (value[i] - '0') * scale;
        scale /= 10;
      }
      q = result > 1.0 ? 1.0 : result;
    }
  }
  return q;
}

}  // namespace

std::string_view Request::HeaderValue(std::string_view name) const {
  return FindHeader(headers, name);
}

std::string_view Request::QueryValue(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

Lang Request::PreferredLang() const {
  return LangFromAcceptLanguage(HeaderValue("Accept-Language"));
}

std::string_view ClientResponse::HeaderValue(std::string_view name) const {
  return FindHeader(headers, name);
}

Lang LangFromAcceptLanguage(std::string_view header) {
  Lang best = Lang::kJa;
  double best_q = 0;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::size_t semi = element.find(';');
    const std::string_view tag = TrimOws(element.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1.0 : ParseQuality(element.substr(semi + 1));
    if (q <= best_q) {
      continue;
    }
    if (HasLangPrefix(tag, "ja")) {
      best = Lang::kJa;
      best_q = q;
    } else if (HasLangPrefix(tag, "en")) {
      best = Lang::kEn;
      best_q = q;
    }
  }
  return best;
}

Response ErrorResponse(const Error& error, Lang lang, std::string_view request_id) {
  Json inner = Json::object();
  inner["code"] = std::string(ApiName(error.code()));
  if (!error.reason().empty()) {
    inner["reason"] = error.reason();
  }
  inner["message"] = error.message(lang);
  inner["request_id"] = std::string(request_id);
  Json body = Json::object();
  body["error"] = std::move(inner);
  Response response;
  response.status = HttpStatus(error.code());
  response.body = DumpJson(body, -1);
  return response;
}

}  // namespace hoshi::http
