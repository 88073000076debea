/**
 * The backend-neutral training loop: deterministic batches by step, held-out evaluation, periodic
 * atomic checkpoints, a loss log, and exact resumption after a kill.
 */
package dev.text2code.api.training;
