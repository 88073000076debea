/**
 * T5 span corruption: the noise mask, the sentinel functions, the length helper, and the objectives
 * built on them (encoder-decoder pair and decoder-only forms).
 */
package dev.text2code.objectives.span;
