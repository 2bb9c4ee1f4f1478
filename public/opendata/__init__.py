"""The open-data files of the public site: ``records`` (the published grants, read in chunks),
``threesixty`` (the 360Giving JSON package, and its CSV and XLSX flattening), ``iati`` (IATI 2.03
activity XML), ``files`` (where they are written, their index, the build and its lock) and
``schedule`` (the rebuild after a change, debounced). ``standards/`` holds the 360Giving
schemas the flattening reads their column titles from."""
