/**
 * Machine-relative time limits (EvalPlus-style): each problem's limit derives from its canonical
 * solution's runtime measured once on this machine, cached by the problem set's hash.
 */
package dev.text2code.evaluation.timing;
