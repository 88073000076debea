/** Benchmarks of the Hugging Face import (run by hand; they print numbers and gate nothing). */
package dev.text2code.models.hf.bench;
