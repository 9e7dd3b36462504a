/** Placeholder until this function is written. */
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 501,
  body: JSON.stringify({
    error: { type: 'api_error', code: 'not_implemented', message: 'not implemented yet' },
  }),
});
