/**
 * The data report of a preparation: counts, tokens per modality, length histograms, rows and
 * padding, written as {@code data-report.json} and {@code data-report.html} (inline SVG plots).
 */
package dev.text2code.data.report;
