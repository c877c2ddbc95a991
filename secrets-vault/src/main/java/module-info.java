/** The end-to-end encrypted vault tier. */
module io.olares.secrets.vault {
  requires transitive io.olares.secrets.api;
}
