// npm run serve — the built server (adapter-node) with this product's defaults.
// Question files may be 10 MB, and the import preview carries the file back to confirm it (base64, a third
// larger), so request bodies up to 16 MB are accepted unless BODY_SIZE_LIMIT says otherwise.
process.env.BODY_SIZE_LIMIT ??= '16M';
// A computed specifier, so the type checker does not wander into the generated build.
const entry = new URL('../../build/index.js', import.meta.url).href;
await import(entry);
