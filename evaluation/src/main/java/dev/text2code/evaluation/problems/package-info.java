/** Benchmark problems and their loaders: HumanEval, MBPP, PandasEval/NumpyEval and infilling. */
package dev.text2code.evaluation.problems;
