// The exec, ssh-account and none provisioners, and the strict SSH public key parser the
// ssh-account one trusts nothing without.
#include "icn/daemon/provisioner.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "icn/infra/subprocess.hpp"

namespace icn::daemon {
namespace {

namespace fs = std::filesystem;

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_utf8(ByteView b) {
  size_t i = 0;
  while (i < b.size()) {
    uint8_t c = b[i];
    size_t n = 0;
    uint32_t cp = 0, min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= b.size() || (b[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (b[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

// Strict standard base64 (RFC 4648 §4): whole quanta, '=' only as final padding.
std::optional<Bytes> decode_base64(std::string_view s) {
  if (s.empty() || s.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  size_t pad = 0;
  if (s.back() == '=') pad = s[s.size() - 2] == '=' ? 2 : 1;
  Bytes out;
  out.reserve(s.size() / 4 * 3);
  for (size_t i = 0; i < s.size(); i += 4) {
    uint32_t word = 0;
    bool last = i + 4 == s.size();
    for (size_t k = 0; k < 4; ++k) {
      char c = s[i + k];
      int v = 0;
      if (c == '=') {
        if (!last || k < 4 - pad) return std::nullopt;
      } else {
        v = value(c);
        if (v < 0) return std::nullopt;
      }
      word = (word << 6) | uint32_t(v);
    }
    out.push_back(uint8_t(word >> 16));
    if (!last || pad < 2) out.push_back(uint8_t(word >> 8));
    if (!last || pad < 1) out.push_back(uint8_t(word));
  }
  return out;
}

std::string tail_text(const std::string& s, size_t n) {
  std::string t = s.size() > n ? "…" + s.substr(s.size() - n) : s;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

std::atomic<uint64_t> g_request_seq{0};

Status with_context(Status s, std::string_view what) {
  if (!s) return std::move(s).error().context(what);
  return s;
}

// Writes `text` to `path` with mode 0600, replacing it atomically.
Status write_private_file(const fs::path& path, std::string_view text) {
  fs::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail("cannot create " + tmp.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return fail("cannot write " + tmp.string() + ": " + std::strerror(e));
    }
    done += size_t(n);
  }
  ::fchmod(fd, 0600);  // the umask may have taken bits away; never adds any
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return fail("cannot write " + tmp.string() + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail("cannot rename " + tmp.string() + ": " + ec.message());
  return {};
}

// mkdir with `mode`, fine if it exists as a directory (not a symlink); the mode is set either way.
Status make_private_dir(const fs::path& dir, mode_t mode) {
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    return fail("cannot create " + dir.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return fail(dir.string() + " is not a directory");
  }
  if (::chmod(dir.c_str(), mode) != 0) {
    return fail("cannot chmod " + dir.string() + ": " + std::strerror(errno));
  }
  return {};
}

// Runs a short system command (useradd, userdel) to completion; fails with its stderr.
Status run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  infra::SubprocessOptions o;
  o.argv = std::move(argv);
  o.stdout_to = infra::OutputTarget::discard();
  o.stderr_to = infra::OutputTarget::pipe();
  std::string what = o.argv[0];
  ICN_TRY(infra::Subprocess p, infra::Subprocess::spawn(std::move(o)));
  p.drain_in_background(infra::Stream::kStderr);
  auto st = p.wait_for_exit(infra::deadline_in(timeout));
  if (!st) {
    p.terminate(std::chrono::milliseconds(2000));
    return fail(what + ": timed out");
  }
  if (!st->success()) {
    return fail(what + ": " + st->describe() + ": " +
                tail_text(p.output_tail(infra::Stream::kStderr), 500));
  }
  return {};
}

}  // namespace

std::string_view to_string(ProvisionAction action) {
  return action == ProvisionAction::kProvision ? "provision" : "deprovision";
}

std::string booking_request_json(ProvisionAction action, const BookingTerms& t) {
  nlohmann::json j = {
      {"action", to_string(action)},
      {"bookingId", to_decimal(t.booking_id)},
      {"builder", t.builder.checksummed()},
      {"nodeId", to_decimal(t.node_id)},
      {"clusterId", t.cluster_id},
      {"capacity", to_decimal(t.capacity)},
      {"duration", t.duration},
      {"activationEra", t.activation_era},
      {"eras", t.eras},
      {"accessKeyHex", to_hex(t.access_key)},
      {"accessKey", nullptr},
  };
  if (is_utf8(t.access_key)) {
    j["accessKey"] = std::string(t.access_key.begin(), t.access_key.end());
  }
  return j.dump() + "\n";
}

Result<std::string> parse_ssh_public_key(ByteView key) {
  if (key.empty()) return fail("access key: empty");
  if (key.size() > kMaxAccessKeyBytes) {
    return fail("access key: " + std::to_string(key.size()) + " bytes, more than " +
                std::to_string(kMaxAccessKeyBytes));
  }
  // One final line break is what a .pub file ends with (`icn book --access-key-file` sends the
  // file as it is); any other is a second line and refused.
  if (key.back() == '\n') key = key.first(key.size() - 1);
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] < 0x20 || key[i] > 0x7e) {
      return fail("access key: byte " + std::to_string(i) +
                  " is not printable ASCII (line breaks, tabs and control bytes are refused)");
    }
  }
  std::string_view line(reinterpret_cast<const char*>(key.data()), key.size());
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return fail("access key: expected \"<type> <base64>\"");
  std::string_view type = line.substr(0, sp1);
  static constexpr std::array<std::string_view, 5> kTypes = {
      "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521"};
  if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end()) {
    // Also what an authorized_keys option prefix (command="…" ssh-ed25519 …) ends up as.
    return fail("access key: type '" + std::string(type.substr(0, 40)) +
                "' is not ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521");
  }
  std::string_view rest = line.substr(sp1 + 1);
  size_t sp2 = rest.find(' ');
  std::string_view body = rest.substr(0, sp2);
  std::string_view comment = sp2 == std::string_view::npos ? "" : rest.substr(sp2 + 1);
  auto blob = decode_base64(body);
  if (!blob) return fail("access key: the key body is not base64");
  // The blob is SSH wire format: string(type) first (RFC 4253 §6.6).
  if (blob->size() < 4 + type.size()) return fail("access key: key blob too short");
  uint32_t n = (uint32_t((*blob)[0]) << 24) | (uint32_t((*blob)[1]) << 16) |
               (uint32_t((*blob)[2]) << 8) | uint32_t((*blob)[3]);
  if (n != type.size() || !std::equal(type.begin(), type.end(), blob->begin() + 4)) {
    return fail("access key: key blob does not hold a " + std::string(type) + " key");
  }
  if (type == "ssh-ed25519" && blob->size() != 4 + 11 + 4 + 32) {
    return fail("access key: ssh-ed25519 key blob has the wrong length");
  }
  std::string out = std::string(type) + " " + std::string(body);
  if (!comment.empty()) out += " " + std::string(comment);
  return out;
}

Status Provisioner::validate(const BookingTerms& terms) const {
  if (terms.access_key.size() > kMaxAccessKeyBytes) {
    return fail("access key: " + std::to_string(terms.access_key.size()) + " bytes, more than " +
                std::to_string(kMaxAccessKeyBytes));
  }
  return {};
}

Result<std::string> ExecProvisioner::run(ProvisionAction action, const BookingTerms& terms) {
  const std::string what =
      "provisioner " + std::string(to_string(action)) + " booking " + to_decimal(terms.booking_id);
  if (options_.command.empty()) return fail(what + ": no command configured");
  std::error_code ec;
  fs::create_directories(options_.work_dir, ec);
  if (ec) return fail(what + ": cannot create " + options_.work_dir.string() + ": " + ec.message());
  fs::path request = options_.work_dir / ("request-" + to_decimal(terms.booking_id) + "-" +
                                          std::to_string(g_request_seq.fetch_add(1)) + ".json");
  ICN_CHECK(with_context(write_private_file(request, booking_request_json(action, terms)), what));
  struct Remove {
    fs::path p;
    ~Remove() {
      std::error_code ignored;
      fs::remove(p, ignored);
    }
  } remove_request{request};

  infra::SubprocessOptions o;
  o.argv = options_.command;
  o.stdin_file = request;
  o.stdout_to = infra::OutputTarget::pipe();
  o.stderr_to = infra::OutputTarget::pipe();
  ICN_TRY_CTX(infra::Subprocess p, infra::Subprocess::spawn(std::move(o)), what);
  p.drain_in_background(infra::Stream::kStdout);
  p.drain_in_background(infra::Stream::kStderr);
  std::optional<infra::ExitStatus> st = p.wait_for_exit(infra::deadline_in(options_.timeout));
  if (!st) {
    p.terminate(std::chrono::milliseconds(2000));
    return fail(what + ": timed out after " + std::to_string(options_.timeout.count()) +
                " ms: " + tail_text(p.output_tail(infra::Stream::kStderr), 500));
  }
  if (!st->success()) {
    return fail(what + ": " + st->describe() + ": " +
                tail_text(p.output_tail(infra::Stream::kStderr), 500));
  }
  std::string endpoint;
  auto out = nlohmann::json::parse(p.output_tail(infra::Stream::kStdout), nullptr, false);
  if (!out.is_discarded() && out.is_object() && out.contains("endpoint") &&
      out["endpoint"].is_string()) {
    endpoint = out["endpoint"].get<std::string>();
    if (endpoint.size() > 1024) return fail(what + ": endpoint longer than 1024 bytes");
  }
  return endpoint;
}

Result<std::string> ExecProvisioner::provision(const BookingTerms& terms) {
  return run(ProvisionAction::kProvision, terms);
}

Status ExecProvisioner::deprovision(const BookingTerms& terms) {
  ICN_TRY(std::string ignored, run(ProvisionAction::kDeprovision, terms));
  (void)ignored;
  return {};
}

std::string ssh_account_name(const U256& booking_id) {
  return "icn-b" + to_decimal(booking_id);
}

fs::path SshAccountProvisioner::home_of(const std::string& account) const {
  return options_.accounts_dir / account;
}

Status SshAccountProvisioner::validate(const BookingTerms& terms) const {
  ICN_TRY(std::string line, parse_ssh_public_key(terms.access_key));
  (void)line;
  return {};
}

Result<std::string> SshAccountProvisioner::provision(const BookingTerms& terms) {
  ICN_TRY(std::string line, parse_ssh_public_key(terms.access_key));
  const std::string account = ssh_account_name(terms.booking_id);
  const std::string what = "ssh-account " + account;
  fs::path home = home_of(account);
  std::error_code ec;
  fs::create_directories(options_.accounts_dir, ec);
  if (ec) return fail(what + ": cannot create " + options_.accounts_dir.string());
  if (options_.create_system_user && ::getpwnam(account.c_str()) == nullptr) {
    ICN_CHECK(with_context(run_command({"useradd", "--create-home", "--home-dir", home.string(),
                                        "--shell", "/bin/sh", account},
                                       options_.command_timeout),
                           what));
  }
  ICN_CHECK(with_context(make_private_dir(home, 0700), what));
  ICN_CHECK(with_context(make_private_dir(home / ".ssh", 0700), what));
  ICN_CHECK(with_context(write_private_file(home / ".ssh" / "authorized_keys", line + "\n"), what));
  if (options_.create_system_user) {
    const passwd* pw = ::getpwnam(account.c_str());
    if (!pw) return fail(what + ": useradd made no such user");
    for (const fs::path& p : {home, home / ".ssh", home / ".ssh" / "authorized_keys"}) {
      if (::lchown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        return fail(what + ": cannot chown " + p.string() + ": " + std::strerror(errno));
      }
    }
  }
  return "ssh://" + account + "@" + options_.host;
}

Status SshAccountProvisioner::deprovision(const BookingTerms& terms) {
  const std::string account = ssh_account_name(terms.booking_id);
  if (options_.create_system_user && ::getpwnam(account.c_str()) != nullptr) {
    ICN_CHECK(with_context(run_command({"userdel", "--remove", account}, options_.command_timeout),
                           "ssh-account " + account));
  }
  std::error_code ec;
  fs::remove_all(home_of(account), ec);
  if (ec) return fail("ssh-account " + account + ": cannot remove its home: " + ec.message());
  return {};
}

}  // namespace icn::daemon
