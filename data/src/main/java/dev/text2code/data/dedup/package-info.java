/**
 * Duplicate removal over text-code pairs: exact (normalised content hash) and near-duplicate
 * (MinHash signatures of code shingles, banded LSH), keeping the first pair of each cluster.
 */
package dev.text2code.data.dedup;
