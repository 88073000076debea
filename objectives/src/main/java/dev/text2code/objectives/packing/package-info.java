/**
 * Greedy packing of examples into fixed-length rows with block-diagonal attention, restarted
 * position ids and isolated, unlabelled padding.
 */
package dev.text2code.objectives.packing;
