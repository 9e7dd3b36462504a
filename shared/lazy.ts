/**
 * A value built on first use and kept: how every zod schema of the Lambda code is made (issue 11). A
 * schema built at module scope costs every cold start its building, whether or not a request needs it;
 * `lazy` defers that to the first call of its getter, and every later call answers the same value.
 * test/functions/import-builds-no-schema.test.ts checks that importing a handler builds none.
 *
 * A build that throws is not kept: the next call builds again (and throws again, e.g. on a bad
 * environment variable read inside it).
 *
 * Mark each call `/* @__PURE__ *\/` so that esbuild drops a getter no code of the bundle calls (with
 * everything only its build uses): it cannot tell that `lazy` has no side effect, and honours
 * `@__NO_SIDE_EFFECTS__` on a function only within the function's own file.
 *
 * @example
 * const refSchema = /* @__PURE__ *\/ lazy(() => z.strictObject({ id: z.string() }));
 * refSchema().safeParse(body); // built here, on the first call; the same schema on every later one
 */
export function lazy<Value>(build: () => Value): () => Value {
  let built: { value: Value } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
