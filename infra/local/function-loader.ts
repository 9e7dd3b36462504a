/**
 * Loads a function's handler module in this process, lazily, the first time one of its routes is
 * called (like a Lambda cold start), so that the local runtime has set the environment before any
 * handler module reads it at load time.
 */
import type { FunctionName } from '../routes';
import type { LambdaFunctionModule } from './lambda-context';

export type FunctionLoader = (functionName: FunctionName) => Promise<LambdaFunctionModule>;

/** Imports `functions/<name>/handler.ts` from source (tsx locally, the jest transform in tests). */
export const loadFunctionFromSource: FunctionLoader = async (functionName) =>
  asFunctionModule(functionName, await import(`../../functions/${functionName}/handler`));

/**
 * Wraps `load` so each function module is loaded once. A failed load is not kept: as with a Lambda
 * whose initialisation failed, the next request tries again.
 */
export function loadOnce(load: FunctionLoader): FunctionLoader {
  const loaded = new Map<FunctionName, Promise<LambdaFunctionModule>>();
  return (functionName) => {
    let module = loaded.get(functionName);
    if (!module) {
      module = load(functionName);
      loaded.set(functionName, module);
      module.catch(() => loaded.delete(functionName));
    }
    return module;
  };
}

function asFunctionModule(functionName: FunctionName, module: unknown): LambdaFunctionModule {
  const handler = (module as { handler?: unknown } | undefined)?.handler;
  if (typeof handler !== 'function') {
    throw new Error(`functions/${functionName}/handler.ts does not export a handler function`);
  }
  return module as LambdaFunctionModule;
}
