/**
 * Hugging Face checkpoints in and out: {@code config.json} of the supported families, safetensors
 * (single or sharded) and {@code pytorch_model.bin} weights mapped to the SDK's checkpoint layout,
 * and the way back.
 */
package dev.text2code.models.hf;
