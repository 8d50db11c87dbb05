// The indexer's schema as numbered migrations, written once in SQLite's spelling (PostgreSQL gets
// it through SqlDatabase::ddl): raw events, the blocks and checkpoint a restart resumes from, and
// the projection tables the REST API reads.
#pragma once

#include <vector>

#include "icn/infra/sqlite.hpp"

namespace icn::indexer {

// In order; migrate() applies the ones a database lacks.
const std::vector<infra::Migration>& indexer_migrations();

// The projection tables, in the order they are cleared before a rebuild.
const std::vector<const char*>& projection_tables();

}  // namespace icn::indexer
