/** The PyTorch backend and its Guice module, which registers it under the name {@code pytorch}. */
package dev.text2code.backend.pytorch;
