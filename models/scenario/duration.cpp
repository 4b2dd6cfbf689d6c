// models/scenario/duration.cpp: Go duration syntax in and out, in exact integer nanoseconds.
#include "models/scenario/duration.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

namespace podsim::scenario {
namespace {

__extension__ typedef __int128 Wide;  // exact products of decimal digits and units

using sim::Time;

[[noreturn]] void fail(std::string_view text, std::string_view why) {
  throw std::invalid_argument("invalid duration \"" + std::string(text) + "\": " + std::string(why));
}

bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Nanoseconds per unit for a Go unit name, 0 when unknown.
Time unitNanos(std::string_view u) noexcept {
  if (u == "ns") return sim::kNanosecond;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return sim::kMicrosecond;  // us, µs (U+00B5), μs (U+03BC)
  if (u == "ms") return sim::kMillisecond;
  if (u == "s") return sim::kSecond;
  if (u == "m") return sim::kMinute;
  if (u == "h") return sim::kHour;
  return 0;
}

/// Reads `[digits][.digits]` at s[pos...] and scales it by `unit` ns, exactly; digits past 18 fractional
/// places are truncated (they are below a nanosecond for every unit we have). Advances pos.
Time readNumber(std::string_view text, std::string_view s, std::size_t& pos, Time unitForPlain,
                bool& plainNumber) {
  Wide whole = 0;
  bool anyDigit = false;
  while (pos < s.size() && isDigit(s[pos])) {
    whole = whole * 10 + (s[pos] - '0');
    if (whole > sim::kForever) fail(text, "value out of range");
    anyDigit = true;
    ++pos;
  }
  Wide frac = 0;
  Wide scale = 1;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && isDigit(s[pos])) {
      if (scale < static_cast<Wide>(1'000'000'000'000'000'000LL)) {
        frac = frac * 10 + (s[pos] - '0');
        scale *= 10;
      }
      anyDigit = true;
      ++pos;
    }
  }
  if (!anyDigit) fail(text, "expected a number");
  // The unit follows the number; a plain number (nothing follows, only one component) means seconds.
  std::size_t unitEnd = pos;
  while (unitEnd < s.size() && !isDigit(s[unitEnd]) && s[unitEnd] != '.') ++unitEnd;
  Time unit = 0;
  if (unitEnd == pos) {
    if (!plainNumber || pos != s.size()) fail(text, "missing unit (use ns, us, ms, s, m or h)");
    unit = unitForPlain;
  } else {
    const std::string_view u = s.substr(pos, unitEnd - pos);
    unit = unitNanos(u);
    if (unit == 0) {
      fail(text, "unknown unit \"" + std::string(u) + "\" (use ns, us, ms, s, m, h, or a number of seconds)");
    }
  }
  plainNumber = false;
  pos = unitEnd;
  const Wide ns = whole * unit + frac * unit / scale;
  if (ns > sim::kForever - 1) fail(text, "value out of range");
  return static_cast<Time>(ns);
}

/// Writes the fraction v / 10^prec into the tail of buf at w (Go's fmtFrac): trailing zeros and a
/// zero fraction are omitted. Returns the new write position; v becomes v / 10^prec.
std::size_t fmtFrac(std::array<char, 40>& buf, std::size_t w, std::uint64_t& v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const auto digit = static_cast<char>(v % 10);
    print = print || digit != 0;
    if (print) buf[--w] = static_cast<char>('0' + digit);
    v /= 10;
  }
  if (print) buf[--w] = '.';
  return w;
}

std::size_t fmtInt(std::array<char, 40>& buf, std::size_t w, std::uint64_t v) {
  if (v == 0) {
    buf[--w] = '0';
    return w;
  }
  while (v > 0) {
    buf[--w] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return w;
}

}  // namespace

Time parseDuration(std::string_view text, ForeverAllowed forever) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) fail(text, "empty");
  if (s == "never" || s == "forever") {
    if (forever == ForeverAllowed::Yes) return sim::kForever;
    fail(text, "\"" + std::string(s) + "\" is not allowed here");
  }
  if (s.front() == '-') fail(text, "must not be negative");
  if (s.front() == '+') s.remove_prefix(1);
  if (s == "0") return 0;
  if (s.empty()) fail(text, "expected a number");
  Time total = 0;
  std::size_t pos = 0;
  bool plainNumber = true;  // only the first component may lack a unit, and then it must be alone
  while (pos < s.size()) {
    const Time part = readNumber(text, s, pos, sim::kSecond, plainNumber);
    if (total > sim::kForever - 1 - part) fail(text, "value out of range");
    total += part;
  }
  return total;
}

std::string formatDuration(Time t) {
  std::array<char, 40> buf{};
  std::size_t w = buf.size();
  std::uint64_t u = static_cast<std::uint64_t>(t);
  const bool neg = t < 0;
  if (neg) u = ~u + 1;
  if (u < static_cast<std::uint64_t>(sim::kSecond)) {
    int prec = 0;
    buf[--w] = 's';
    if (u == 0) {
      buf[--w] = '0';
      return std::string(buf.data() + w, buf.size() - w);
    }
    if (u < static_cast<std::uint64_t>(sim::kMicrosecond)) {
      prec = 0;
      buf[--w] = 'n';
    } else if (u < static_cast<std::uint64_t>(sim::kMillisecond)) {
      prec = 3;
      buf[--w] = '\xB5';  // "µ" is C2 B5 in UTF-8, written back to front
      buf[--w] = '\xC2';
    } else {
      prec = 6;
      buf[--w] = 'm';
    }
    w = fmtFrac(buf, w, u, prec);
    w = fmtInt(buf, w, u);
  } else {
    buf[--w] = 's';
    w = fmtFrac(buf, w, u, 9);
    w = fmtInt(buf, w, u % 60);
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      w = fmtInt(buf, w, u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        w = fmtInt(buf, w, u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  return std::string(buf.data() + w, buf.size() - w);
}

}  // namespace podsim::scenario
