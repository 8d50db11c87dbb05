/// <reference types="vitest/config" />
// Vite build of the console. The contracts' ABIs come from the artifacts the C++ build compiles
// (build/<preset>/artifacts, ICN_ARTIFACTS_DIR): one source of truth, no ABI copied into git.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// The contracts the console calls; every error of every ABI is kept so a revert bubbling up from an
// inner call (ICNT's ERC20InsufficientAllowance inside CapacityMarket.book) is decoded too.
const CONTRACTS = [
  'CapacityMarket', 'Settlement', 'Collateral', 'Delegation', 'ICNLink', 'EraManager', 'ICNT',
  'Registry', 'HyperNodeRegistry', 'Vesting', 'ReservePool', 'Treasury',
];

function icnAbis(): Plugin {
  const id = 'virtual:icn-abis';
  return {
    name: 'icn-abis',
    resolveId: (source) => (source === id ? '\0' + id : null),
    load(resolved) {
      if (resolved !== '\0' + id) return null;
      const dir = process.env.ICN_ARTIFACTS_DIR ?? join(import.meta.dirname, '../../build/release/artifacts');
      const abis: Record<string, unknown[]> = {};
      for (const name of CONTRACTS) {
        const file = join(dir, `${name}.json`);
        if (!existsSync(file)) throw new Error(`icn-abis: ${file} missing (build the contracts first)`);
        abis[name] = JSON.parse(readFileSync(file, 'utf8')).abi;
      }
      return `export const abis = ${JSON.stringify(abis)};`;
    },
  };
}

export default defineConfig({
  plugins: [icnAbis()],
  build: { outDir: process.env.ICN_CONSOLE_OUT ?? 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  // `ICN_API=http://127.0.0.1:PORT npx vite`: hot reload against a running indexer (make run's API).
  server: process.env.ICN_API ? { proxy: { '/v1': { target: process.env.ICN_API, changeOrigin: true } } } : {},
  test: { include: ['test/**/*.test.ts'] },
});
