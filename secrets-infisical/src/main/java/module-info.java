/** The credential tier over Infisical. */
module io.olares.secrets.infisical {
  requires transitive io.olares.secrets.api;
}
