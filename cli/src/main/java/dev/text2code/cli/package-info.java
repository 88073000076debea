/**
 * The {@code sdk-cli} command line: picocli commands that assemble the SDK's chain from
 * configuration.
 */
package dev.text2code.cli;
