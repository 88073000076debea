/** Console output of runs: the progress bar and the printer of what a run reports. */
package dev.text2code.cli.run;
