// Transactions against the EIP-155 example, `cast mktx` output and a pre-EIP-155 mainnet
// transaction; strict decoding rejects malformed input with its reason.
#include "icn/core/transaction.hpp"

#include <gtest/gtest.h>

#include "icn/core/rlp.hpp"

namespace icn {
namespace {

constexpr const char* kKey46 = "0x4646464646464646464646464646464646464646464646464646464646464646";
constexpr const char* kAnvilKey0 =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kKey1 = "0x0000000000000000000000000000000000000000000000000000000000000001";

PrivateKey key(const char* hex) {
  return *PrivateKey::from_hex(hex);
}
Address addr(const char* hex) {
  return *Address::parse(hex);
}
U256 num(const char* text) {
  return *parse_u256(text);
}
Bytes hex(std::string_view h) {
  auto b = parse_hex(h);
  EXPECT_TRUE(b.ok()) << h;
  return b.value_or({});
}

// --- EIP-155's worked example ---

LegacyTx eip155_example() {
  LegacyTx tx;
  tx.nonce = 9;
  tx.gas_price = num("20000000000");
  tx.gas_limit = 21000;
  tx.to = addr("0x3535353535353535353535353535353535353535");
  tx.value = num("1000000000000000000");
  tx.chain_id = U256(1);
  return tx;
}

constexpr const char* kEip155Raw =
    "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
    "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb70330"
    "4b3800ccf555c9f3dc64214b297fb1966a3b6d83";

TEST(LegacyTx, Eip155Example) {
  LegacyTx tx = eip155_example();
  EXPECT_EQ(to_hex(signing_hash(tx)),
            "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
  SignedTx signed_tx = sign(tx, key(kKey46));
  EXPECT_EQ(to_hex(signed_tx.raw), kEip155Raw);
  EXPECT_EQ(to_hex(signed_tx.hash),
            "0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788");
  EXPECT_EQ(signed_tx.from.checksummed(), "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");

  auto decoded = decode_signed_tx(hex(kEip155Raw));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<LegacyTx>(decoded->tx), tx);
  EXPECT_EQ(decoded->sig, signed_tx.sig);
  EXPECT_EQ(decoded->from, signed_tx.from);
  EXPECT_EQ(decoded->hash, signed_tx.hash);
  EXPECT_EQ(decoded->chain_id(), U256(1));
}

TEST(LegacyTx, Eip155MatchesCastOnAnvilChain) {
  // cast mktx --legacy --private-key <anvil 0> --chain 31337 --nonce 3 --gas-limit 21000
  //   --gas-price 1gwei --value 123 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
  LegacyTx tx;
  tx.nonce = 3;
  tx.gas_price = num("1000000000");
  tx.gas_limit = 21000;
  tx.to = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  tx.value = 123;
  tx.chain_id = U256(31337);
  const char* raw =
      "0xf86503843b9aca008252089470997970c51812dc3a010c7d01b50e0d17dc79c87b8082f4f5a011e5aa896ed5"
      "9134d9555d9dc2c7174ff8fe1703a4f9a67e6189cf7eb420b85aa004f98e07cdfd6d6e66f5ccbca329b79e8af5"
      "46d6f51e54d0e87b78be6b189e22";
  SignedTx signed_tx = sign(tx, key(kAnvilKey0));
  EXPECT_EQ(to_hex(signed_tx.raw), raw);
  EXPECT_EQ(to_hex(signed_tx.hash),
            "0x7c5ce571ea5664f0612847c2ef156e40ce29d642c62bc7242a3638017b9e9472");
  auto decoded = decode_signed_tx(hex(raw), U256(31337));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<LegacyTx>(decoded->tx), tx);
  EXPECT_EQ(decoded->from, key(kAnvilKey0).address());
}

// The keyless deployment of the CREATE2 factory (Nick's method): pre-EIP-155, v = 27, with r and
// s chosen by hand; the sender is whatever key recovers.
constexpr const char* kNickRaw =
    "0xf8a58085174876e800830186a08080b853604580600e600039806000f350fe7fffffffffffffffffffffffffff"
    "ffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b80"
    "82525050506014600cf31ba02222222222222222222222222222222222222222222222222222222222222222a0"
    "2222222222222222222222222222222222222222222222222222222222222222";

TEST(LegacyTx, PreEip155DeterministicDeployer) {
  auto decoded = decode_signed_tx(hex(kNickRaw));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const LegacyTx& tx = std::get<LegacyTx>(decoded->tx);
  EXPECT_EQ(tx.nonce, 0u);
  EXPECT_EQ(tx.gas_price, num("100000000000"));
  EXPECT_EQ(tx.gas_limit, 100000u);
  EXPECT_FALSE(tx.to.has_value());
  EXPECT_EQ(tx.value, 0);
  EXPECT_EQ(tx.data.size(), 83u);
  EXPECT_FALSE(tx.chain_id.has_value());
  EXPECT_FALSE(decoded->chain_id().has_value());
  EXPECT_EQ(decoded->sig.v, 0);
  EXPECT_EQ(decoded->from, addr("0x3fab184622dc19b6109349b94811493bf2a45362"));
  EXPECT_EQ(to_hex(decoded->hash),
            "0xeddf9e61fb9d8f5111840daef55e5fde0041f5702856532cdbb5a02998033d26");
  EXPECT_EQ(decode_signed_tx(hex(kNickRaw), U256(31337)).error().message,
            "transaction: wrong chain id: expected 31337, got none (a pre-EIP-155 transaction "
            "valid on every chain)");
}

TEST(LegacyTx, PreEip155SignRoundTrips) {
  LegacyTx tx = eip155_example();
  tx.chain_id.reset();
  SignedTx signed_tx = sign(tx, key(kKey46));
  EXPECT_EQ(signed_tx.raw[signed_tx.raw.size() - 67], 27 + signed_tx.sig.v);  // v before r, s
  auto decoded = decode_signed_tx(signed_tx.raw);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<LegacyTx>(decoded->tx), tx);
  EXPECT_EQ(decoded->from, key(kKey46).address());
}

TEST(LegacyTx, HugeChainIdRoundTrips) {
  // v = chain_id * 2 + 35 needs 257 bits here; encoding and decoding must not wrap.
  LegacyTx tx = eip155_example();
  tx.chain_id = ~U256(0);
  SignedTx signed_tx = sign(tx, key(kKey46));
  auto decoded = decode_signed_tx(signed_tx.raw, ~U256(0));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<LegacyTx>(decoded->tx), tx);
  EXPECT_EQ(decoded->from, key(kKey46).address());
}

// --- EIP-1559 against cast mktx ---

struct CastVector {
  const char* name;
  const char* key;
  Eip1559Tx tx;
  const char* raw;   // cast mktx --private-key K --chain C --nonce N --gas-limit G
                     //   --gas-price MAXFEE --priority-gas-price TIP --value V TO [SIG ARGS]
  const char* hash;  // cast decode-transaction RAW → hash
};

Eip1559Tx make_1559(const char* chain, uint64_t nonce, const char* tip, const char* max_fee,
                    uint64_t gas, std::optional<Address> to, const char* value,
                    std::string_view data_hex = "0x") {
  Eip1559Tx tx;
  tx.chain_id = num(chain);
  tx.nonce = nonce;
  tx.max_priority_fee_per_gas = num(tip);
  tx.max_fee_per_gas = num(max_fee);
  tx.gas_limit = gas;
  tx.to = to;
  tx.value = num(value);
  tx.data = hex(data_hex);
  return tx;
}

std::vector<CastVector> cast_vectors() {
  const Address anvil1 = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  Eip1559Tx with_access_list =
      make_1559("31337", 5, "1000000000", "3000000000", 60000,
                addr("0x5FbDB2315678afecb367f032d93F642f64180aa3"), "0", "0x12345678");
  with_access_list.access_list = {
      {addr("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
       {*parse_fixed_hex<32>("0x0000000000000000000000000000000000000000000000000000000000000000"),
        *parse_fixed_hex<32>(
            "0x0000000000000000000000000000000000000000000000000000000000000001")}},
      {addr("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"), {}},
  };
  return {
      {"anvil chain, 1 wei", kKey46,
       make_1559("31337", 0, "1000000000", "2000000000", 21000,
                 addr("0x3535353535353535353535353535353535353535"), "1"),
       "0x02f86c827a6980843b9aca0084773594008252089435353535353535353535353535353535353535350180"
       "c001a0f1455bc544de79e7cf0a2b7d1c7af6958578bdf9f90ce1c01d9079138d358f44a066b9bbadf81e6332"
       "11b5f7150b0531822b6b1f22f36659d2da671ef202a32936",
       "0xa455b8902303ccd099c354fa2e1952a65f3371da9b60a01cef4bdcb91cd08d00"},
      {"all zero fees and value", kAnvilKey0, make_1559("31337", 0, "0", "0", 21000, anvil1, "0"),
       "0x02f864827a698080808252089470997970c51812dc3a010c7d01b50e0d17dc79c88080c080a087d07da10f"
       "d67e2fefc1dae4eeb7e1f91b7c6582041cef7f6873c67b977ff043a05156c1ac294e3ab9d83646a640c498ad"
       "54cc38cba996c8243666123d89db01b3",
       "0x234bf6a9587e6246ee786179353067432d6b2e157553fbd2cbd9ac6fbb735c3a"},
      {"mainnet ERC-20 transfer calldata", kAnvilKey0,
       make_1559("1", 7, "2000000000", "30000000000", 100000,
                 addr("0xdAC17F958D2ee523a2206206994597C13D831ec7"), "1500000000000000000",
                 "0xa9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8000000"
                 "00000000000000000000000000000000000000000000000000000f4240"),
       "0x02f8b9010784773594008506fc23ac00830186a094dac17f958d2ee523a2206206994597c13d831ec78814"
       "d1120d7b160000b844a9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79"
       "c800000000000000000000000000000000000000000000000000000000000f4240c001a0d0caff01732c3be6"
       "d94bd5c7aa1cfd6a7861335d540e005deef97984546a7d01a0072c6170a6db6fd840f6848e65df012c9d1d70"
       "f14d74d9d30264113accbe8501",
       "0x60a3c27f05d0cc8c40dd1d2a0773a5141b6b0d6a0a4ad8bbe05727a3cb3476d1"},
      {"contract creation on Base", kKey46,
       make_1559("8453", 300, "1000", "1000000000", 3000000, std::nullopt, "0",
                 "0x6080604052348015600f57600080fd5b50603f80601d6000396000f3fe6080604052600080fd"
                 "fea164736f6c6343000825000a"),
       "0x02f88c82210582012c8203e8843b9aca00832dc6c08080b36080604052348015600f57600080fd5b50603f"
       "80601d6000396000f3fe6080604052600080fdfea164736f6c6343000825000ac080a00755474eb7fea3e649"
       "2a578808e4bd914c6747a4f1a17c3b9a3c4efc09587c5ca064b96b81020ce8c7fe5541fc5db1bff47e8c2cd8"
       "022d43c7699ea493a572c6b1",
       "0x114460d433fdb6277d46a0c58750e32a725799a33ea042b037f519fa4046b88d"},
      {"maximum values", kKey1,
       make_1559("18446744073709551615", 18446744073709551614ull,
                 "340282366920938463463374607431768211455",
                 "340282366920938463463374607431768211455", 18446744073709551615ull,
                 addr("0x0000000000000000000000000000000000000001"),
                 "115792089237316195423570985008687907853269984665640564039457584007913129639935"),
       "0x02f8b888ffffffffffffffff88fffffffffffffffe90ffffffffffffffffffffffffffffffff90ffffffff"
       "ffffffffffffffffffffffff88ffffffffffffffff940000000000000000000000000000000000000001a0ff"
       "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80c080a084d582e56e69913fbf"
       "f72597d22f0964c839e3080d298a2c7da9ff2394b68e20a05a7f79167446e69a3a23072d8cb68e075a3b30b7"
       "13e1b33185455889fc8416f5",
       "0x9f43ab20cd1c9efbbdfa339405f72f1fd99200fc666af4d9e4a88826ad4a6c80"},
      {"access list", kAnvilKey0, with_access_list,
       "0x02f8e3827a6905843b9aca0084b2d05e0082ea60945fbdb2315678afecb367f032d93f642f64180aa38084"
       "12345678f872f859945fbdb2315678afecb367f032d93f642f64180aa3f842a0000000000000000000000000"
       "0000000000000000000000000000000000000000a0000000000000000000000000000000000000000000000000"
       "0000000000000001d694e7f1725e7734ce288f8367e1bb143e90bb3f0512c001a03f82290715c4d1f4f90d62"
       "7ee1fc8418b6f39c8b2337934a1b0e5991c791ad95a0580889631f09f6ce3fea2da7c75156842e27cce85afd"
       "6c52a1f04dce29ae87d1",
       "0xf93090819a4e541f6d09c7aadde94af0997db4a0883d64cb9d069e796cc4acf8"},
      {"31-byte s", kAnvilKey0,
       make_1559("31337", 114, "1000000000", "2000000000", 21000, anvil1, "1000"),
       "0x02f86d827a6972843b9aca0084773594008252089470997970c51812dc3a010c7d01b50e0d17dc79c88203"
       "e880c080a025583ceb622a9916c2d81c5888bb9ce8f1bb1d4829125bc9ea2a8f2861f8fdd09f38f61fedd834"
       "25ce8ed310e9b1248ecd7c6a224380d7ddc12e4952c7613ea9",
       "0x6f7b9264d2b45eebb9198a5324d24960b7ba3905c4891efb785ab5c348d37452"},
      {"31-byte r", kAnvilKey0,
       make_1559("31337", 204, "1000000000", "2000000000", 21000, anvil1, "1000"),
       "0x02f86e827a6981cc843b9aca0084773594008252089470997970c51812dc3a010c7d01b50e0d17dc79c882"
       "03e880c0809fec968981b51e1536f9f12b6c14a01ce640fe54fcd79b8ff1cc9d95f3fc70bba04e146beec3df"
       "46da90a71e208256f82df144315fb66385d79815357a462cc279",
       "0x57480f7a7bfc3c9366be268408869fdc79a23d12581cc7dd0c142ee1f4e02f4e"},
  };
}

TEST(Eip1559Tx, SignMatchesCastByteForByteAndDecodes) {
  for (const CastVector& v : cast_vectors()) {
    SCOPED_TRACE(v.name);
    PrivateKey k = key(v.key);
    SignedTx signed_tx = sign(v.tx, k);
    EXPECT_EQ(to_hex(signed_tx.raw), v.raw);
    EXPECT_EQ(to_hex(signed_tx.hash), v.hash);
    EXPECT_EQ(signed_tx.from, k.address());

    auto decoded = decode_signed_tx(hex(v.raw), v.tx.chain_id);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(std::get<Eip1559Tx>(decoded->tx), v.tx);
    EXPECT_EQ(decoded->sig, signed_tx.sig);
    EXPECT_EQ(decoded->raw, signed_tx.raw);
    EXPECT_EQ(to_hex(decoded->hash), v.hash);
    EXPECT_EQ(decoded->from, k.address());
    EXPECT_EQ(decoded->chain_id(), v.tx.chain_id);
  }
}

// --- Rejections ---

Bytes reencode(const rlp::Item& item) {
  return item.is_list ? rlp::encode_list_payload(item.payload) : rlp::encode_bytes(item.payload);
}

// Rebuilds a type-2 transaction with field `index` replaced (or removed when replacement is
// empty), keeping everything else byte-identical.
Bytes edit_1559(ByteView raw, size_t index, std::optional<Bytes> replacement) {
  auto fields = rlp::decode_list(raw.subspan(1));
  EXPECT_TRUE(fields.ok());
  std::vector<Bytes> items;
  for (size_t i = 0; i < fields->size(); ++i) {
    if (i != index) {
      items.push_back(reencode((*fields)[i]));
    } else if (replacement) {
      items.push_back(*replacement);
    }
  }
  Bytes out{0x02};
  append(out, rlp::encode_list(items));
  return out;
}

std::string decode_error(ByteView raw) {
  auto decoded = decode_signed_tx(raw);
  return decoded.ok() ? "accepted" : decoded.error().message;
}

TEST(DecodeSignedTx, RejectsEnvelopesWithReason) {
  EXPECT_EQ(decode_error({}), "transaction: empty input");
  EXPECT_EQ(decode_error(hex("0x05c0")), "transaction: unknown transaction type 0x05");
  EXPECT_EQ(decode_error(hex("0x01c0")),
            "transaction: unsupported transaction type 0x01 (EIP-2930)");
  EXPECT_EQ(decode_error(hex("0x03c0")),
            "transaction: unsupported transaction type 0x03 (EIP-4844 blob)");
  EXPECT_EQ(decode_error(hex("0x83646f67")),
            "transaction: first byte 0x83 is neither a transaction type nor an RLP list");
  EXPECT_EQ(decode_error(hex("0x0283646f67")), "transaction: rlp: expected a list, got a string");
  EXPECT_EQ(decode_error(hex("0x02")), "transaction: rlp: empty input");

  Bytes raw = hex(cast_vectors()[0].raw);
  Bytes trailing = raw;
  trailing.push_back(0x00);
  EXPECT_EQ(decode_error(trailing), "transaction: rlp: 1 byte trailing after the item");
  Bytes legacy_trailing = hex(kEip155Raw);
  legacy_trailing.push_back(0xc0);
  EXPECT_EQ(decode_error(legacy_trailing), "transaction: rlp: 1 byte trailing after the item");
  Bytes truncated(raw.begin(), raw.end() - 1);
  EXPECT_EQ(decode_error(truncated),
            "transaction: rlp: list of length 108 runs past the end of the input (107 bytes left)");
}

TEST(DecodeSignedTx, RejectsBadFieldsWithReason) {
  const Bytes raw = hex(cast_vectors()[0].raw);
  ASSERT_EQ(decode_error(raw), "accepted");

  EXPECT_EQ(decode_error(edit_1559(raw, 8, std::nullopt)),
            "transaction: EIP-1559 transaction has 11 fields, expected 12");
  Bytes thirteen = raw;
  {
    auto fields = rlp::decode_list(ByteView(raw).subspan(1));
    std::vector<Bytes> items;
    for (const auto& f : *fields) items.push_back(reencode(f));
    items.push_back(rlp::encode_uint(uint64_t(0)));
    thirteen = Bytes{0x02};
    append(thirteen, rlp::encode_list(items));
  }
  EXPECT_EQ(decode_error(thirteen), "transaction: EIP-1559 transaction has 13 fields, expected 12");

  EXPECT_EQ(decode_error(edit_1559(raw, 1, hex("0x820001"))),
            "transaction: nonce: rlp: non-canonical integer (leading zero bytes)");
  EXPECT_EQ(decode_error(edit_1559(raw, 0, hex("0x00"))),
            "transaction: chain id: rlp: non-canonical integer (leading zero bytes)");
  EXPECT_EQ(decode_error(edit_1559(raw, 4, hex("0x89010000000000000000"))),
            "transaction: gas limit: rlp: integer of 9 bytes does not fit in 64 bits");
  EXPECT_EQ(decode_error(edit_1559(raw, 6, hex("0xc0"))),
            "transaction: value: rlp: expected an integer, got a list");
  EXPECT_EQ(decode_error(edit_1559(raw, 5, rlp::encode_bytes(Bytes(19, 0x35)))),
            "transaction: to: expected 20 bytes or empty (contract creation), got 19");
  EXPECT_EQ(decode_error(edit_1559(raw, 5, rlp::encode_bytes(Bytes(32, 0x35)))),
            "transaction: to: expected 20 bytes or empty (contract creation), got 32");
  EXPECT_EQ(decode_error(edit_1559(raw, 7, hex("0xc0"))),
            "transaction: data: rlp: expected a string, got a list");
  EXPECT_EQ(decode_error(edit_1559(raw, 8, hex("0x80"))),
            "transaction: access list: expected a list, got a string");
  Bytes bad_entry = rlp::encode_list(std::vector<Bytes>{
      rlp::encode_list(std::vector<Bytes>{rlp::encode_bytes(Bytes(19, 1)), hex("0xc0")})});
  EXPECT_EQ(decode_error(edit_1559(raw, 8, bad_entry)),
            "transaction: access list: entry 0: address: expected 20 bytes, got 19");
  Bytes bad_key = rlp::encode_list(std::vector<Bytes>{rlp::encode_list(
      std::vector<Bytes>{rlp::encode_bytes(Bytes(20, 1)),
                         rlp::encode_list(std::vector<Bytes>{rlp::encode_bytes(Bytes(31, 1))})})});
  EXPECT_EQ(decode_error(edit_1559(raw, 8, bad_key)),
            "transaction: access list: entry 0: storage key 0: expected 32 bytes, got 31");
  EXPECT_EQ(decode_error(edit_1559(raw, 9, hex("0x02"))),
            "transaction: y parity must be 0 or 1, got 2");
  EXPECT_EQ(decode_error(edit_1559(raw, 10, hex("0x80"))), "transaction: signature r is zero");
  EXPECT_EQ(decode_error(edit_1559(raw, 11, hex("0xa100"))),
            "transaction: rlp: list item 11: string of length 33 runs past the end of the input "
            "(1 byte left)");
}

TEST(DecodeSignedTx, RejectsHighS) {
  const Bytes raw = hex(cast_vectors()[0].raw);
  auto decoded = decode_signed_tx(raw);
  ASSERT_TRUE(decoded.ok());
  const U256 n = num("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  Bytes high_s = edit_1559(raw, 11, rlp::encode_uint(n - u256_from_be(decoded->sig.s)));
  high_s = edit_1559(high_s, 9, rlp::encode_uint(uint64_t(1 - decoded->sig.v)));
  EXPECT_EQ(decode_error(high_s),
            "transaction: signature s is not in the lower half of the curve order");
}

TEST(DecodeSignedTx, RejectsWrongChainId) {
  const CastVector mainnet = cast_vectors()[2];
  ASSERT_EQ(mainnet.tx.chain_id, 1);
  EXPECT_EQ(decode_signed_tx(hex(mainnet.raw), U256(31337)).error().message,
            "transaction: wrong chain id: expected 31337, got 1");
  EXPECT_EQ(decode_signed_tx(hex(kEip155Raw), U256(31337)).error().message,
            "transaction: wrong chain id: expected 31337, got 1");
  EXPECT_TRUE(decode_signed_tx(hex(mainnet.raw), U256(1)).ok());
}

TEST(DecodeSignedTx, LegacyRejections) {
  const Bytes raw = hex(kEip155Raw);
  auto fields = rlp::decode_list(raw);
  ASSERT_TRUE(fields.ok());
  auto rebuild = [&](size_t index, std::optional<Bytes> replacement) {
    std::vector<Bytes> items;
    for (size_t i = 0; i < fields->size(); ++i) {
      if (i != index) {
        items.push_back(reencode((*fields)[i]));
      } else if (replacement) {
        items.push_back(*replacement);
      }
    }
    return rlp::encode_list(items);
  };
  EXPECT_EQ(decode_error(rebuild(5, std::nullopt)),
            "transaction: legacy transaction has 8 fields, expected 9");
  EXPECT_EQ(decode_error(rebuild(6, rlp::encode_uint(uint64_t(29)))),
            "transaction: v must be 27, 28 or chain_id * 2 + 35 or 36 (EIP-155), got 29");
  EXPECT_EQ(decode_error(rebuild(6, hex("0x820025"))),
            "transaction: v: rlp: non-canonical integer (leading zero bytes)");
  EXPECT_EQ(decode_error(rebuild(0, hex("0x8109"))),
            "transaction: rlp: list item 0: non-canonical single byte 0x09 (must be encoded as "
            "itself, not as a 1-byte string)");
  EXPECT_EQ(decode_error(rebuild(3, rlp::encode_bytes(Bytes(21, 0x35)))),
            "transaction: to: expected 20 bytes or empty (contract creation), got 21");
  // Re-targeting the chain (v 37 → 38 is chain 1 with the other parity; 2*5+35 is chain 5)
  // keeps the encoding valid but recovers someone else.
  auto moved = decode_signed_tx(rebuild(6, rlp::encode_uint(uint64_t(45))));
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->chain_id(), U256(5));
  EXPECT_NE(moved->from, key(kKey46).address());
}

TEST(DecodeSignedTx, TamperedFieldRecoversAnotherSender) {
  const CastVector v = cast_vectors()[2];
  Bytes tampered = edit_1559(hex(v.raw), 6, rlp::encode_uint(U256(1)));  // value
  auto decoded = decode_signed_tx(tampered);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_NE(decoded->from, key(v.key).address());
}

}  // namespace
}  // namespace icn
