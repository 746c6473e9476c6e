// Sizes an import works with. A chunk is ~1 MB of the file as stored text; an upload part is
// what one request carries (under the 4.5 MB body limit of serverless hosts); a batch is the
// set of rows written in one transaction.
export const maxFileBytes = 200 * 1024 * 1024;
export const chunkBytes = 1024 * 1024;
export const uploadPartBytes = 4 * 1024 * 1024;
export const batchRows = 1000;
/** Bad rows stored with their cells; error_count counts all of them. */
export const storedErrorCap = 10_000;
/** Rows shown in the preview under the mapping form. */
export const previewRows = 20;
