/** Tests of the Spark preparation engine. */
package dev.text2code.data.spark;
