-- Pandoc Lua filter that makes the man pages from docs/ (docs/man/README.md):
--  * a Div with an `include` attribute is replaced by that Markdown file (a path relative
--    to the page's own file; its level-1 title dropped), or by one section of it
--    (`section`: a heading's text; the heading itself is dropped), with heading levels
--    moved by `shift`; `part="synopsis"` keeps only the code block that opens it (the
--    command line), `part="body"` everything after that block;
--  * tables become definition lists: the first column is the term, the `meaning` column
--    (else the last one) the text, the other columns one "header: value" line under it;
--  * links become their text and where they lead (a man page, or a file of the source
--    tree); web addresses stay.
-- It fails loudly when an included file or section is missing, so a renamed heading in
-- docs/ breaks the build instead of emptying a page.

local function read_markdown(path)
  local file = io.open(path, "r")
  if not file then
    error("man.lua: cannot read " .. path)
  end
  local text = file:read("a")
  file:close()
  return pandoc.read(text, "gfm")
end

local function page_folder()
  local input = PANDOC_STATE.input_files[1]
  return input:match("^(.*)/") or "."
end

local function select_section(blocks, title, path)
  local out, level = pandoc.List(), nil
  for _, block in ipairs(blocks) do
    if level then
      if block.t == "Header" and block.level <= level then
        break
      end
      out:insert(block)
    elseif block.t == "Header" and pandoc.utils.stringify(block.content) == title then
      level = block.level
    end
  end
  if not level then
    error("man.lua: no section '" .. title .. "' in " .. path)
  end
  return out
end

local function without_title(blocks)
  local out = pandoc.List()
  for i, block in ipairs(blocks) do
    if not (i == 1 and block.t == "Header" and block.level == 1) then
      out:insert(block)
    end
  end
  return out
end

-- Moves heading levels; a heading that becomes a section (level 1) is written in capitals,
-- as man pages write theirs.
local function shift_headers(blocks, shift)
  return pandoc.walk_block(pandoc.Div(blocks), {
    Header = function(header)
      header.level = math.max(1, header.level + shift)
      if header.level == 1 then
        header.content = { pandoc.Str(pandoc.text.upper(pandoc.utils.stringify(header.content))) }
      end
      return header
    end,
  }).content
end

local function include(div)
  local path = div.attributes["include"]
  if not path then
    return nil
  end
  path = page_folder() .. "/" .. path
  local blocks = read_markdown(path).blocks
  local section = div.attributes["section"]
  if section then
    blocks = select_section(blocks, section, path)
  else
    blocks = without_title(blocks)
  end
  local part = div.attributes["part"]
  if part then
    if #blocks == 0 or blocks[1].t ~= "CodeBlock" then
      error("man.lua: " .. path .. " (" .. (section or "") .. ") does not open with a code block")
    end
    if part == "synopsis" then
      return { blocks[1] }
    end
    local rest = pandoc.List()
    for i = 2, #blocks do
      rest:insert(blocks[i])
    end
    blocks = rest
  end
  return shift_headers(blocks, tonumber(div.attributes["shift"] or "0"))
end

local function cell_blocks(cell)
  return cell.contents
end

local function is_empty(blocks)
  local text = pandoc.utils.stringify(pandoc.Div(blocks))
  return text == "" or text == "—"
end

local function table_to_definitions(tbl)
  local headers = {}
  for i, cell in ipairs(tbl.head.rows[1].cells) do
    headers[i] = pandoc.utils.stringify(pandoc.Div(cell_blocks(cell)))
  end
  local main = #headers
  for i, header in ipairs(headers) do
    if header == "meaning" then
      main = i
    end
  end
  local items = pandoc.List()
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local cells = row.cells
      local term = pandoc.utils.blocks_to_inlines(cell_blocks(cells[1]))
      local definition = pandoc.List()
      definition:extend(cell_blocks(cells[main]))
      local extra = pandoc.List()
      for i = 2, #cells do
        if i ~= main and not is_empty(cell_blocks(cells[i])) then
          if #extra > 0 then
            extra:insert(pandoc.Str(";"))
            extra:insert(pandoc.Space())
          end
          extra:insert(pandoc.Emph({ pandoc.Str(headers[i] .. ":") }))
          extra:insert(pandoc.Space())
          extra:extend(pandoc.utils.blocks_to_inlines(cell_blocks(cells[i])))
        end
      end
      if #extra > 0 then
        definition:insert(pandoc.Para(extra))
      end
      items:insert({ term, { definition } })
    end
  end
  return pandoc.DefinitionList(items)
end

-- docs/ files that have a man page of their own.
local man_pages = {
  ["rules.md"] = "cohortmatch-rules(5)",
  ["alterations.md"] = "cohortmatch-alterations(1)",
  ["cli.md"] = "cohortmatch(1)",
}

-- A link within a page becomes its text; a link to another file of the source tree becomes
-- its text and where to find it (the man page, else the file under the source tree);
-- a web address stays.
local function link_text(link)
  local target = link.target
  if target:match("^%a+://") then
    return nil
  end
  local file = target:gsub("#.*$", "")
  if file == "" then
    return link.content
  end
  local place = man_pages[file]
  if not place then
    place = file:match("^%.%./(.*)$") or ("docs/" .. file)
  end
  local text = pandoc.utils.stringify(link.content)
  if text == file or text == place then
    return pandoc.Str(place)
  end
  local out = pandoc.List(link.content)
  out:insert(pandoc.Str(" (" .. place .. ")"))
  return out
end

function Pandoc(doc)
  doc.blocks = pandoc.walk_block(pandoc.Div(doc.blocks), { Div = include }).content
  doc.blocks = pandoc.walk_block(pandoc.Div(doc.blocks), {
    Table = table_to_definitions,
    Link = link_text,
  }).content
  return doc
end
