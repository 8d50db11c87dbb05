// Responses captured from anvil 1.5.1, shared by the eth tests: one log of Emitter.bump(5), and
// the receipt of that transaction, which carries the same log.
#pragma once

#include <string>

namespace icn::eth::test_samples {

// One log of eth_getLogs (Emitter.bump(5)); its byte offsets are in log_reader_test's messages.
inline const std::string kAnvilLog =
    R"({"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":[
"0xce968b37b77be747913c94ab74fa63e648ed245b24e571ce6eceed63b9b305e9",
"0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266",
"0x0000000000000000000000000000000000000000000000000000000000000005"],
"data":"0x036b6384b5eca791c62761152d0c79bb0604c104a5fb6f4eb0703f3154bb3db00000000000000000000000000000000000000000000000000000000000000040000000000000000000000000000000000000000000000000000000000000000662756d7065640000000000000000000000000000000000000000000000000000",
"blockHash":"0x3a9a6d3b87093befa4bd3b63b9449e59fd3b0f28f84137c10f0e7f8d5ba6a4ad","blockNumber":"0x2",
"blockTimestamp":"0x6b06e63a",
"transactionHash":"0xbc42db8a285d197c23a0a5546b39722c32b7b6fabe1b3507c1ff98549a8afc5a",
"transactionIndex":"0x0","logIndex":"0x0","removed":false})";

// eth_getTransactionReceipt of Emitter.bump(5) (logsBloom dropped for brevity).
inline const std::string kAnvilReceipt =
    R"({"type":"0x2","status":"0x1","cumulativeGasUsed":"0xb595",
"logs":[)" +
    kAnvilLog + R"(],
"transactionHash":"0xbc42db8a285d197c23a0a5546b39722c32b7b6fabe1b3507c1ff98549a8afc5a",
"transactionIndex":"0x0","blockHash":"0x3a9a6d3b87093befa4bd3b63b9449e59fd3b0f28f84137c10f0e7f8d5ba6a4ad",
"blockNumber":"0x2","gasUsed":"0xb595","effectiveGasPrice":"0x343ff182","blobGasPrice":"0x1",
"from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":"0x5fbdb2315678afecb367f032d93f642f64180aa3",
"contractAddress":null})";

}  // namespace icn::eth::test_samples
