/**
 * The backend-neutral checkpoint: safetensors weights and optimizer state, the model spec, the
 * router and the training state, written atomically. Every backend reads and writes this one
 * format.
 */
package dev.text2code.api.checkpoint;
