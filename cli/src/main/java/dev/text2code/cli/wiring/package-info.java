/**
 * The one Guice injector: every module found on the class path, and selection of components by
 * name.
 */
package dev.text2code.cli.wiring;
