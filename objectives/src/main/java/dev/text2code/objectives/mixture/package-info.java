/**
 * Objective mixtures chosen per example from the seed: CodeGen2's CLM + span corruption, UL2-style
 * denoisers with mode tokens, or any weighted list of registered objectives.
 */
package dev.text2code.objectives.mixture;
