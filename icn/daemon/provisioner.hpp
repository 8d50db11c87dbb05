// Provisioners: what turns a booking of this node into something the Builder can use, and back.
// `exec` runs the operator's command with the booking as JSON on stdin; `ssh-account` creates an
// account holding the Builder's SSH key; `none` only records the booking (docs/daemon.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"

namespace icn::daemon {

// A booking as the Booked event (and later Renewed events) describe it.
struct BookingTerms {
  U256 booking_id;
  Address builder;
  U256 node_id;
  uint32_t cluster_id = 0;
  U256 capacity;
  uint64_t duration = 0;  // seconds paid for, renewals included
  uint64_t activation_era = 0;
  uint64_t eras = 0;  // the last era is activation_era + eras − 1
  Bytes access_key;   // chosen by the Builder: hostile until validated
};

enum class ProvisionAction : uint8_t { kProvision, kDeprovision };
std::string_view to_string(ProvisionAction action);

// Access keys longer than this are refused by every provisioner (the Builder pays the calldata,
// we would pay to carry it around).
inline constexpr size_t kMaxAccessKeyBytes = 16 * 1024;

// The JSON the exec provisioner writes to its command's stdin:
// {"action","bookingId","builder","nodeId","clusterId","capacity","duration","activationEra",
//  "eras","accessKeyHex","accessKey"} — ids and capacity as decimal strings, accessKey only when
// the key is valid UTF-8 (null otherwise).
std::string booking_request_json(ProvisionAction action, const BookingTerms& terms);

// One OpenSSH public key line: "<type> <base64> [comment]" with type ssh-ed25519, ssh-rsa or
// ecdsa-sha2-nistp{256,384,521}, the base64 body decoding to a key blob that starts with that
// type, a comment of printable ASCII only, no options and no line breaks (but one final '\n', as
// in a .pub file). Returns the normalised
// line (type, body and comment separated by single spaces).
Result<std::string> parse_ssh_public_key(ByteView key);

class Provisioner {
 public:
  virtual ~Provisioner() = default;
  virtual std::string_view kind() const = 0;
  // A booking this provisioner can never serve (e.g. an access key that is not an SSH key): it is
  // rejected once and never provisioned. Checked before every provision.
  virtual Status validate(const BookingTerms& terms) const;
  // Gives the Builder access; returns the endpoint to report ("" when there is none). Must be
  // idempotent: a crash after it succeeded and before the state was stored repeats it.
  virtual Result<std::string> provision(const BookingTerms& terms) = 0;
  // Takes the access away; idempotent too (also called for something already gone).
  virtual Status deprovision(const BookingTerms& terms) = 0;
};

// Records bookings and provisions nothing (kind "none"), so the status still lists them.
class NoProvisioner final : public Provisioner {
 public:
  std::string_view kind() const override { return "none"; }
  Result<std::string> provision(const BookingTerms&) override { return std::string(); }
  Status deprovision(const BookingTerms&) override { return {}; }
};

struct ExecProvisionerOptions {
  std::vector<std::string> command;  // argv, not a shell string
  std::chrono::milliseconds timeout{60000};
  // Where each request is written (the command's stdin), one file per run, removed after it.
  std::filesystem::path work_dir;
};

// Runs `command` once per action with booking_request_json on stdin. Exit 0: done, and a JSON
// object on stdout with a string "endpoint" is the endpoint reported. Anything else (a nonzero
// exit, a signal, the timeout) fails with the exit status and the tail of stderr.
class ExecProvisioner final : public Provisioner {
 public:
  explicit ExecProvisioner(ExecProvisionerOptions options) : options_(std::move(options)) {}
  std::string_view kind() const override { return "exec"; }
  Result<std::string> provision(const BookingTerms& terms) override;
  Status deprovision(const BookingTerms& terms) override;

 private:
  Result<std::string> run(ProvisionAction action, const BookingTerms& terms);
  ExecProvisionerOptions options_;
};

struct SshAccountOptions {
  // Home directories when create_system_user is false:
  // <accounts_dir>/icn-b<id>/.ssh/authorized_keys.
  std::filesystem::path accounts_dir;
  std::string host = "localhost";  // in the endpoint ssh://icn-b<id>@<host>
  // true: `useradd --create-home` / `userdel --remove` make a real login (needs root), and the
  // key goes into that user's home, owned by it.
  bool create_system_user = false;
  std::chrono::milliseconds command_timeout{30000};  // useradd / userdel / chown
};

// The account name of a booking: "icn-b<bookingId>".
std::string ssh_account_name(const U256& booking_id);

class SshAccountProvisioner final : public Provisioner {
 public:
  explicit SshAccountProvisioner(SshAccountOptions options) : options_(std::move(options)) {}
  std::string_view kind() const override { return "ssh-account"; }
  Status validate(const BookingTerms& terms) const override;  // parse_ssh_public_key
  Result<std::string> provision(const BookingTerms& terms) override;
  Status deprovision(const BookingTerms& terms) override;

 private:
  std::filesystem::path home_of(const std::string& account) const;
  SshAccountOptions options_;
};

}  // namespace icn::daemon
