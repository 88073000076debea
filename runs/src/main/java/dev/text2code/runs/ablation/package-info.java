/**
 * The ablation grid ({@code sdk-cli ablate}): one base trained under every objective × separation
 * cell with the same data, steps and seed, each cell evaluated alike, resumable cell by cell, and
 * the HTML + JSON report that compares them.
 */
package dev.text2code.runs.ablation;
