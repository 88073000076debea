/** Sandboxed execution of generated Python programs: one fresh, isolated interpreter per sample. */
package dev.text2code.evaluation.execution;
