package io.olares.secrets.approval;

import static io.olares.secrets.approval.TestData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.olares.secrets.ConfigurationException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class Bip39Test {
  private static final String ABANDON =
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

  @Test
  void shipsTheSameWordListAsTheReference() throws Exception {
    List<String> reference =
        Files.readAllLines(TestData.file("bip39/english.txt")).stream()
            .filter(w -> !w.isEmpty())
            .toList();

    assertThat(Bip39.englishWords()).hasSize(2048).isEqualTo(reference);
    assertThat(Bip39.englishWords().get(0)).isEqualTo("abandon");
    assertThat(Bip39.englishWords().get(2047)).isEqualTo("zoo");
  }

  /** The English reference vectors: entropy to words and back, and the seed with "TREZOR". */
  @TestFactory
  Stream<DynamicTest> reproducesTheEnglishVectors() {
    JsonNode english = TestData.json("bip39/vectors.json").get("english");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : english) {
      byte[] entropy = hex(v.get(0).asText());
      String mnemonic = v.get(1).asText();
      String seed = v.get(2).asText();
      tests.add(
          dynamicTest(
              entropy.length * 8 + "-bit " + v.get(0).asText(),
              () -> {
                assertThat(Bip39.toMnemonic(entropy)).isEqualTo(mnemonic);
                assertThat(Bip39.entropy(mnemonic)).isEqualTo(entropy);
                assertThat(hex(Bip39.seed(mnemonic, "TREZOR"))).isEqualTo(seed);
              }));
    }
    assertThat(tests).hasSize(24);
    return tests.stream();
  }

  /** Seeds of every language's vectors: NFKD and UTF-8 handled as BIP39 says. */
  @TestFactory
  Stream<DynamicTest> derivesTheSeedOfEveryLanguagesVectors() {
    JsonNode all = TestData.json("bip39/vectors.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> language = it.next();
      int i = 0;
      for (JsonNode v : language.getValue()) {
        String mnemonic = v.get(1).asText();
        String seed = v.get(2).asText();
        tests.add(
            dynamicTest(
                language.getKey() + " #" + i++,
                () -> assertThat(hex(Bip39.seed(mnemonic, "TREZOR"))).isEqualTo(seed)));
      }
    }
    assertThat(tests).hasSizeGreaterThan(24);
    return tests.stream();
  }

  @Test
  void acceptsAValidMnemonicWhateverItsCaseAndSpacing() {
    Bip39.validate(ABANDON);
    Bip39.validate("  " + ABANDON.toUpperCase().replace(" ", " \t\n ") + "\n");
    assertThat(Bip39.canonical("  Abandon\tABOUT \n")).isEqualTo("abandon about");
  }

  @Test
  void refusesAWrongWordCount() {
    String eleven = ABANDON.substring(ABANDON.indexOf(' ') + 1);
    assertThatThrownBy(() -> Bip39.validate(eleven))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("mnemonic has 11 words; BIP39 needs 12, 15, 18, 21 or 24");
    assertThatThrownBy(() -> Bip39.validate(ABANDON + " abandon abandon abandon abandon"))
        .hasMessageContaining("has 16 words");
    assertThatThrownBy(() -> Bip39.validate("")).hasMessageContaining("has 0 words");
  }

  @Test
  void namesThePositionOfAnUnknownWordButNeverTheWord() {
    String typo = ABANDON.replaceFirst("abandon abandon abandon", "abandon abandon abandom");

    assertThatThrownBy(() -> Bip39.validate(typo))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("mnemonic word 3 of 12 is not in the BIP39 English word list")
        .hasMessageNotContaining("abandom")
        .hasMessageNotContaining("abandon");
  }

  @Test
  void refusesABadChecksum() {
    String lastWordChanged = ABANDON.replace("about", "abandon");
    String swapped = "legal winner thank year wave sausage worth useful legal winner yellow thank";

    for (String m : List.of(lastWordChanged, swapped)) {
      assertThatThrownBy(() -> Bip39.validate(m))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("mnemonic checksum does not match: a word is wrong or out of order");
    }
  }

  @Test
  void refusesEntropyOfAnUnsupportedLength() {
    assertThatThrownBy(() -> Bip39.toMnemonic(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not 15");
    assertThatThrownBy(() -> Bip39.toMnemonic(new byte[36]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
