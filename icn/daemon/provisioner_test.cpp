// The provisioners: SSH key lines from ssh-keygen accepted and hostile ones refused, the exec
// provisioner's stdin JSON, endpoint, failures and timeout (real shell scripts), and the
// ssh-account provisioner's files and modes.
#include "icn/daemon/provisioner.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "icn/daemon/test_support.hpp"
#include "icn/infra/files.hpp"

namespace icn::daemon {
namespace {

using testing::test_dir;
namespace fs = std::filesystem;

// Made by `ssh-keygen -t ed25519 -C builder@example` and `ssh-keygen -t ecdsa -b 256 -C ""`.
const std::string kEd25519 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOuxbGzJJk/LPGUYWag1Qk4ylz+BOUKihznpzxa0vqzK "
    "builder@example";
const std::string kEcdsa =
    "ecdsa-sha2-nistp256 "
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL6rT7Rtwv7HwU175ZzieX+TnDd3XoN4dQy+"
    "ouHfUtwTv5eQXv3vOk0S8mf1l+tPOCwNGSSRCQuQrp6EJROQ9kI=";

Bytes bytes_of(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

BookingTerms terms(uint64_t id, std::string_view key = kEd25519) {
  BookingTerms t;
  t.booking_id = U256(id);
  t.builder = *Address::parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
  t.node_id = U256(1);
  t.cluster_id = 1;
  t.capacity = U256(1);
  t.duration = 7776000;
  t.activation_era = 12;
  t.eras = 90;
  t.access_key = bytes_of(key);
  return t;
}

fs::path write_script(const fs::path& dir, const std::string& name, const std::string& body) {
  fs::path p = dir / name;
  std::ofstream(p) << "#!/bin/sh\n" << body;
  fs::permissions(p, fs::perms::owner_all);
  return p;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

TEST(SshPublicKey, AcceptsKeysFromSshKeygen) {
  auto ed = parse_ssh_public_key(bytes_of(kEd25519));
  ASSERT_TRUE(ed.ok()) << ed.error().message;
  EXPECT_EQ(*ed, kEd25519);
  auto ec = parse_ssh_public_key(bytes_of(kEcdsa + " "));  // ssh-keygen's empty comment
  ASSERT_TRUE(ec.ok()) << ec.error().message;
  EXPECT_EQ(*ec, kEcdsa);
  auto file = parse_ssh_public_key(bytes_of(kEd25519 + "\n"));  // a .pub file as it is
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(*file, kEd25519);
}

TEST(SshPublicKey, RefusesHostileLines) {
  const std::string body = "AAAAC3NzaC1lZDI1NTE5AAAAIOuxbGzJJk/LPGUYWag1Qk4ylz+BOUKihznpzxa0vqzK";
  struct Case {
    std::string key;
    std::string reason;
  };
  std::vector<Case> cases = {
      {"", "empty"},
      {kEd25519 + "\nssh-ed25519 " + body + " attacker", "not printable ASCII"},
      {kEd25519 + "\n\n", "not printable ASCII"},
      {kEd25519 + "\r\n", "not printable ASCII"},
      {"command=\"/bin/sh\" ssh-ed25519 " + body, "is not ssh-ed25519"},
      {"no-pty,permitopen=\"*:*\" " + kEd25519, "is not ssh-ed25519"},
      {"ssh-dss " + body, "is not ssh-ed25519"},
      {"ssh-ed25519", "expected"},
      {"ssh-ed25519 " + body.substr(0, body.size() - 1), "not base64"},
      {"ssh-ed25519 " + body.substr(0, 40) + "!" + body.substr(41), "not base64"},
      {"ssh-rsa " + body, "does not hold a ssh-rsa key"},
      {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOux", "wrong length"},
      {"ssh-ed25519\t" + body, "not printable ASCII"},
      {kEd25519 + " caf\xc3\xa9", "not printable ASCII"},
      {std::string("ssh-ed25519 ") + '\0' + body, "not printable ASCII"},
      {kEd25519 + " " + std::string(kMaxAccessKeyBytes, 'x'), "more than"},
  };
  for (const Case& c : cases) {
    auto r = parse_ssh_public_key(bytes_of(c.key));
    ASSERT_FALSE(r.ok()) << c.key;
    EXPECT_NE(r.error().message.find(c.reason), std::string::npos)
        << c.key << " → " << r.error().message;
  }
}

TEST(BookingRequestJson, CarriesTheBookingAndTheKeyAsHexAndText) {
  auto j = nlohmann::json::parse(booking_request_json(ProvisionAction::kProvision, terms(7)));
  EXPECT_EQ(j["action"], "provision");
  EXPECT_EQ(j["bookingId"], "7");
  EXPECT_EQ(j["builder"], "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
  EXPECT_EQ(j["nodeId"], "1");
  EXPECT_EQ(j["clusterId"], 1);
  EXPECT_EQ(j["capacity"], "1");
  EXPECT_EQ(j["duration"], 7776000);
  EXPECT_EQ(j["activationEra"], 12);
  EXPECT_EQ(j["eras"], 90);
  EXPECT_EQ(j["accessKey"], kEd25519);
  EXPECT_EQ(j["accessKeyHex"], to_hex(bytes_of(kEd25519)));

  BookingTerms binary = terms(8);
  binary.access_key = {0xff, 0xfe, 0x00, '\n'};
  auto b = nlohmann::json::parse(booking_request_json(ProvisionAction::kDeprovision, binary));
  EXPECT_EQ(b["action"], "deprovision");
  EXPECT_TRUE(b["accessKey"].is_null()) << "not UTF-8: hex only";
  EXPECT_EQ(b["accessKeyHex"], "0xfffe000a");
  // Overlong '/' and a lone surrogate are not UTF-8 either.
  for (Bytes bad : {Bytes{0xc0, 0xaf}, Bytes{0xed, 0xa0, 0x80}, Bytes{'a', 0xe2, 0x82}}) {
    binary.access_key = bad;
    auto k = nlohmann::json::parse(booking_request_json(ProvisionAction::kProvision, binary));
    EXPECT_TRUE(k["accessKey"].is_null()) << to_hex(bad);
  }
  binary.access_key = bytes_of("caf\xc3\xa9 \xf0\x9f\x94\x91");
  auto u = nlohmann::json::parse(booking_request_json(ProvisionAction::kProvision, binary));
  EXPECT_EQ(u["accessKey"], "caf\xc3\xa9 \xf0\x9f\x94\x91");
}

TEST(ExecProvisioner, FeedsTheJsonOnStdinAndReportsTheEndpoint) {
  fs::path dir = test_dir("exec");
  fs::path script = write_script(dir, "provision.sh",
                                 "cat > \"$1/$(date +%s%N).in\"\n"
                                 "echo '{\"endpoint\": \"ssh://b7@host\", \"extra\": 1}'\n");
  ExecProvisioner p({{script.string(), dir.string()}, std::chrono::seconds(10), dir / "work"});
  auto endpoint = p.provision(terms(7));
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(*endpoint, "ssh://b7@host");
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".in") inputs.push_back(e.path());
  }
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(slurp(inputs[0]), booking_request_json(ProvisionAction::kProvision, terms(7)));
  EXPECT_TRUE(fs::is_empty(dir / "work")) << "request files are removed";
  EXPECT_TRUE(p.deprovision(terms(7)).ok());
}

TEST(ExecProvisioner, NoJsonOnStdoutMeansNoEndpoint) {
  fs::path dir = test_dir("exec_plain");
  fs::path script = write_script(dir, "p.sh", "cat >/dev/null\necho done\n");
  ExecProvisioner p({{script.string()}, std::chrono::seconds(10), dir / "work"});
  auto endpoint = p.provision(terms(1));
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(*endpoint, "");
}

TEST(ExecProvisioner, NonzeroExitFailsWithTheStderrTail) {
  fs::path dir = test_dir("exec_fail");
  fs::path script = write_script(dir, "p.sh", "echo 'disk pool full' >&2\nexit 3\n");
  ExecProvisioner p({{script.string()}, std::chrono::seconds(10), dir / "work"});
  auto r = p.provision(terms(3));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("provisioner provision booking 3: exit code 3: disk pool full"),
            std::string::npos)
      << r.error().message;
  auto missing = ExecProvisioner({{(dir / "nope").string()}, std::chrono::seconds(1), dir / "w"})
                     .deprovision(terms(3));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos)
      << missing.error().message;
}

TEST(ExecProvisioner, TimesOutAndKillsTheCommand) {
  fs::path dir = test_dir("exec_timeout");
  fs::path script = write_script(dir, "p.sh", "echo starting >&2\nexec sleep 30\n");
  ExecProvisioner p({{script.string()}, std::chrono::milliseconds(300), dir / "work"});
  auto start = std::chrono::steady_clock::now();
  auto r = p.provision(terms(4));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("timed out after 300 ms: starting"), std::string::npos)
      << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(SshAccountProvisioner, WritesTheKeyWithPrivateModesAndRemovesIt) {
  fs::path dir = test_dir("ssh_account");
  SshAccountProvisioner p({.accounts_dir = dir / "accounts", .host = "node1.example"});
  EXPECT_EQ(ssh_account_name(U256(42)), "icn-b42");
  auto endpoint = p.provision(terms(42));
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(*endpoint, "ssh://icn-b42@node1.example");
  fs::path home = dir / "accounts" / "icn-b42";
  EXPECT_EQ(slurp(home / ".ssh" / "authorized_keys"), kEd25519 + "\n");
  EXPECT_EQ(mode_of(home), 0700u);
  EXPECT_EQ(mode_of(home / ".ssh"), 0700u);
  EXPECT_EQ(mode_of(home / ".ssh" / "authorized_keys"), 0600u);
  ASSERT_TRUE(p.provision(terms(42)).ok()) << "idempotent";
  ASSERT_TRUE(p.deprovision(terms(42)).ok());
  EXPECT_FALSE(fs::exists(home));
  EXPECT_TRUE(p.deprovision(terms(42)).ok()) << "already gone is fine";
}

TEST(SshAccountProvisioner, RefusesAHostileKeyAndCreatesNothing) {
  fs::path dir = test_dir("ssh_hostile");
  SshAccountProvisioner p({.accounts_dir = dir / "accounts", .host = "h"});
  BookingTerms t = terms(5, kEd25519 + "\nssh-ed25519 AAAA attacker");
  EXPECT_FALSE(p.validate(t).ok());
  auto r = p.provision(t);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(fs::exists(dir / "accounts" / "icn-b5"));
}

}  // namespace
}  // namespace icn::daemon
