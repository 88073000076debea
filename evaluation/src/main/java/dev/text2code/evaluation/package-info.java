/** pass@k metrics, sandboxed execution of generated programs and benchmark loaders. */
package dev.text2code.evaluation;
