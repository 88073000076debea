/**
 * The run's data preparation on Apache Spark: the per-record work (parse, decontamination hits,
 * exact keys, MinHash signatures, layout, tokenize, route) runs in parallel keyed by the record's
 * input index; the order-dependent decisions (deduplication, the report) and the objective, packing
 * and shard writing follow input order on the driver with the data module's own classes, so the
 * shards are byte-identical to the single-JVM engine's for any number of partitions.
 */
package dev.text2code.data.spark;
