/**
 * Removes training pairs that overlap evaluation benchmarks: n-gram overlap with prompt + canonical
 * solution, and exact docstring matches, reported per benchmark with the matching task ids.
 */
package dev.text2code.data.decontamination;
