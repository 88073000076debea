/** Training objectives, one class each, and the Guice module that registers them by name. */
package dev.text2code.objectives;
