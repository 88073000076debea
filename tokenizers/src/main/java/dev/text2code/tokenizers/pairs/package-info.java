/** Text-code pair layouts of the paper (tokens with a modality each) and Python linearisation. */
package dev.text2code.tokenizers.pairs;
