/**
 * Configuration: shipped defaults, a user file, environment variables and flags, merged and
 * checked.
 */
package dev.text2code.cli.config;
