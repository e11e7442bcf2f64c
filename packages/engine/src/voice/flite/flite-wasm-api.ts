/**
 * The two WebAssembly JS API calls Flite needs. Node has the `WebAssembly` global, but the project's `lib`
 * (ES2023, no DOM) has no WebAssembly types, so the value is reached through `globalThis` with a narrow type.
 */
declare const wasmModuleBrand: unique symbol;

/** A compiled `WebAssembly.Module` (opaque here; it can be posted to worker threads). */
export type WasmModule = object & { readonly [wasmModuleBrand]: true };

interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Instance: new (module: WasmModule, imports: object) => object;
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compiles a WebAssembly binary (V8 does most of the work on background threads). */
export function compileWasm(bytes: Uint8Array): Promise<WasmModule> {
  return wasm.compile(bytes);
}

/** Instantiates a compiled module synchronously (used in worker threads, where blocking is fine). */
export function instantiateWasm(module: WasmModule, imports: object): object {
  return new wasm.Instance(module, imports);
}
