// The ABIs vite.config.ts generates at build time from the compiled contracts.
declare module 'virtual:icn-abis' {
  export const abis: Record<string, readonly unknown[]>;
}
