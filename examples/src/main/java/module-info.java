/** Small programs that embed olares-secrets. */
module io.olares.secrets.examples {
  requires transitive io.olares.secrets.api;
  requires io.olares.secrets.vault;

  exports io.olares.secrets.examples;
}
