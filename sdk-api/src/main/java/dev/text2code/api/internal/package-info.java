/**
 * Not API: the codecs behind the shared checkpoint format (a small JSON reader/writer and the
 * safetensors file layout). Other text2code modules use them; applications should read and write
 * checkpoints through {@link dev.text2code.api.checkpoint.Checkpoint}. Anything here may change
 * without notice.
 */
package dev.text2code.api.internal;
